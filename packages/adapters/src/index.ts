export * as Testing from "./testing/Services.js"
export * as HostResolverNode from "./dns/HostResolverNode.js"
export * as ManifestFs from "./runtime/ManifestFs.js"
