/** The message each route's payload declares with `bodyMessage` (read by the edge and by `DecodeErrors.ts`). */
import { HttpApi } from "@effect/platform"
import { Either, Option, ParseResult, Schema, SchemaAST } from "effect"
import { Api } from "../Api.js"
import { BodyMessageId } from "./Payloads.js"

export interface Declared {
  readonly message: string
  /** The payload without its overriding message: its decode issues name the field that failed. */
  readonly plain: Schema.Schema<unknown, unknown>
}

/** The same node without its own `message` annotation (the override that folds every issue into one). */
const withoutMessage = (ast: SchemaAST.AST): SchemaAST.AST => {
  const { [SchemaAST.MessageAnnotationId]: _, ...rest } = ast.annotations
  return Object.assign(Object.create(Object.getPrototypeOf(ast) as object) as SchemaAST.AST, ast, { annotations: rest })
}

/** `"POST /workspaces"` → the message its payload declares with `bodyMessage`, and the payload. */
export const declaredBodies = (): ReadonlyMap<string, Declared> => {
  const declared = new Map<string, Declared>()
  HttpApi.reflect(Api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      if (Option.isNone(endpoint.payloadSchema)) return
      const ast = endpoint.payloadSchema.value.ast
      const message = ast.annotations[BodyMessageId]
      if (typeof message === "string") {
        declared.set(`${endpoint.method} ${endpoint.path}`, { message, plain: Schema.make(withoutMessage(ast)) })
      }
    }
  })
  return declared
}

export const declaredBodyMessages = (): ReadonlyMap<string, string> =>
  new Map([...declaredBodies()].map(([route, { message }]) => [route, message]))

/** The first issue of decoding `body` with the plain payload, as `{ path, _tag }`. */
export const firstIssue = (plain: Schema.Schema<unknown, unknown>, body: unknown) => {
  const result = Schema.decodeUnknownEither(plain)(body)
  if (Either.isRight(result)) return undefined
  return ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]
}
