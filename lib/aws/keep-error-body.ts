/**
 * Keeps the body of an error answer that is not in the API's format (an HTML 500 page from a proxy or an
 * emulator). The SDK's deserializer consumes the body stream and throws its parse error
 * (`SyntaxError: Unexpected token '<'`) without it; this middleware, placed just inside the deserializer, reads
 * such a body into bytes first, so the parse error's `$response.body` still holds it for `toAwsApiError`.
 * Answers in the protocol's format (JSON, XML) pass through untouched.
 */
interface HttpResponseLike {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

function isStructured(contentType: string): boolean {
  return /json|xml/i.test(contentType);
}

async function readAll(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

interface MiddlewareStack {
  addRelativeTo(middleware: unknown, options: { relation: 'after'; toMiddleware: string; name: string }): void;
}

export function addKeepErrorBody(client: { middlewareStack?: MiddlewareStack }): void {
  const middleware = (next: (args: unknown) => Promise<{ response?: HttpResponseLike }>) => async (args: unknown) => {
    const result = await next(args);
    const response = result.response;
    const status = response?.statusCode ?? 200;
    const contentType = Object.entries(response?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
    if (response && status >= 300 && !isStructured(contentType) && response.body !== undefined) {
      response.body = await readAll(response.body);
    }
    return result;
  };
  client.middlewareStack?.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'hakoKeepErrorBody' });
}
