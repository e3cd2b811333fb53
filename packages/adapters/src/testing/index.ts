/**
 * The test kit (`@berth/adapters/testing`): database, engine and CP fixtures for tests and benches. Kept out of the
 * production entry so that no service can reach it; the `testing-kit-apart` gate checks that.
 */
export * as Testing from "./Services.js"
export * as DatabaseFaults from "./DatabaseFaults.js"
export * as Eventually from "./Eventually.js"
export * as LogCapture from "./LogCapture.js"
export * as TcpProxy from "./TcpProxy.js"
export * as DockerImages from "./DockerImages.js"
export * as EngineFixture from "./EngineFixture.js"
export * as CpServer from "./CpServer.js"
export * as Rows from "./Rows.js"
