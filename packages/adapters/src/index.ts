export * as Testing from "./testing/Services.js"
