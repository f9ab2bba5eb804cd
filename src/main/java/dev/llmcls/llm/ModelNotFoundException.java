package dev.llmcls.llm;

import dev.llmcls.core.InputException;

/**
 * The server answered 404 to a chat request: it does not serve the model under that name (or has no
 * chat endpoint at that URL). Every other request would get the same answer, so the run stops as a
 * usage error with advice that fits the server.
 */
public final class ModelNotFoundException extends InputException {
    public ModelNotFoundException(
            String baseUrl, String model, ServerInfo.Kind kind, ServerException cause) {
        super(
                "the server at "
                        + baseUrl
                        + " does not serve model '"
                        + model
                        + "' ("
                        + Failures.describe(cause)
                        + "). Pass a name it lists with --model, or "
                        + kind.serveAdvice(model)
                        + ".",
                cause);
    }
}
