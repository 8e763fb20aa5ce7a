package dev.twine.fakes;

/**
 * One request {@link HttpPoetryServer} answered.
 *
 * @param method the HTTP method
 * @param path the request path
 * @param status the status it was given (0 when a fault replaced the response)
 */
public record HttpRequestRecord(String method, String path, int status) {
}
