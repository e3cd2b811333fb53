/** Annotations shared by request payload schemas (read by `DecodeErrors.ts`, which turns decode failures into 400s). */

/** Where `bodyMessage` keeps its message on a payload schema. */
export const BodyMessageId = Symbol.for("@berth/http/BodyMessage")

/**
 * Annotations of a payload schema whose every decode failure — a wrong type, a missing field, or a body that is not
 * JSON at all — answers `400 {"error": message}`.
 */
export const bodyMessage = (message: string) => ({
  message: () => ({ message, override: true }),
  [BodyMessageId]: message
})
