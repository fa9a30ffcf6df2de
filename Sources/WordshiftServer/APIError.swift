import Foundation
import Hummingbird

/// A request the server refuses, with the HTTP status and a message that says what to change.
/// Every error leaves the server as JSON: `{"error": {"status": 400, "message": "...", "word": "..."}}`.
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    /// The word the error is about, when there is one (unknown words).
    let word: String?

    init(_ status: HTTPResponse.Status, _ message: String, word: String? = nil) {
        self.status = status
        self.message = message
        self.word = word
    }

    struct Body: Codable {
        struct Detail: Codable {
            var status: Int
            var message: String
            var word: String?
        }
        var error: Detail
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(Body(error: .init(status: status.code, message: message, word: word)), status: status)
    }
}

/// Turns every error a handler or the router throws into a JSON error response: the server's
/// own `APIError`s as they are, Hummingbird's (unknown path, body too large) with their status,
/// anything else as a 500 that names the error. Nothing escapes as a bare status or a crash.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path) (GET /openapi.json lists them)"
                : error.status.reasonPhrase)
            return try APIError(error.status, message).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try APIError(error.status, error.status.reasonPhrase).response(from: request, context: context)
        } catch {
            return try APIError(.internalServerError, "internal error: \(error)").response(from: request, context: context)
        }
    }
}

/// JSON responses, encoded once with sorted keys (stable output for clients and tests).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":{"status":500,"message":"response could not be encoded"}}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
