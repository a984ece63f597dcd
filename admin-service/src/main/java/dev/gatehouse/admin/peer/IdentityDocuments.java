package dev.gatehouse.admin.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * Fetches a peer's public identity document ({@code GET /public/identity} on its portal domain) to learn
 * its key, within a bounded time.
 */
@Component
class IdentityDocuments {

	/** A document is a few hundred bytes; anything much larger is not one. */
	private static final int MAX_BYTES = 16 * 1024;

	private final HttpClient http;

	private final PeerProperties properties;

	private final JsonMapper json;

	IdentityDocuments(PeerProperties properties, JsonMapper json) {
		this.properties = properties;
		this.json = json;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.resolveTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * The public key a peer's document names.
	 * @param domain the peer's portal domain (validated by the caller)
	 * @return the key's PEM
	 * @throws IdentityDocumentException when the document cannot be fetched or read in time
	 */
	String publicKeyPem(String domain) {
		URI uri = URI.create(this.properties.identityUrl().replace("{domain}", domain));
		HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
		// one deadline for connecting, the answer and its body, which is read no further than a document can be
		CompletableFuture<byte[]> document = this.http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
			.thenApply(response -> {
				try (InputStream body = response.body()) {
					byte[] bytes = body.readNBytes(MAX_BYTES + 1);
					if (response.statusCode() != 200 || bytes.length > MAX_BYTES) {
						throw new IdentityDocumentException("%s answered %d".formatted(uri, response.statusCode()));
					}
					return bytes;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		try {
			JsonNode key = this.json.readTree(document.get(this.properties.resolveTimeout().toMillis(), TimeUnit.MILLISECONDS))
				.get("public_key_pem");
			if (key == null || !key.isString()) {
				throw new IdentityDocumentException("%s names no public_key_pem".formatted(uri));
			}
			return key.asString();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IdentityDocumentException refused) {
				throw refused;
			}
			throw new IdentityDocumentException("%s could not be read: %s".formatted(uri, ex.getCause().getClass().getSimpleName()));
		}
		catch (TimeoutException ex) {
			document.cancel(true);
			throw new IdentityDocumentException("%s did not answer within %s".formatted(uri, this.properties.resolveTimeout()));
		}
		catch (JacksonException ex) {
			throw new IdentityDocumentException("%s is not a JSON document".formatted(uri));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdentityDocumentException("interrupted while fetching " + uri);
		}
	}

	/**
	 * The document could not be had: the peer is unreachable, slow, or serves something else.
	 */
	static class IdentityDocumentException extends RuntimeException {

		IdentityDocumentException(String message) {
			super(message);
		}

	}

}
