/** The typed client of Berth's API, for services that embed or call Berth (and for Berth's own e2e tests). */
import { HttpApiClient } from "@effect/platform"
import { Api } from "./Api.js"

/** A client for the server at `baseUrl`; needs an `HttpClient` (e.g. `FetchHttpClient.layer`). */
export const make = (baseUrl: string | URL) => HttpApiClient.make(Api, { baseUrl })
