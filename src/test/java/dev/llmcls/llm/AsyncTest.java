package dev.llmcls.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class AsyncTest {
    @Test
    void cancellingTheResultCancelsTheStepItWaitsOn() {
        var first = new CompletableFuture<String>();
        CompletableFuture<String> result =
                Async.then(first, CompletableFuture::completedFuture, Runnable::run);
        result.cancel(true);
        assertTrue(first.isCancelled(), "the exchange waited on is cancelled too");
    }

    @Test
    void cancellingTheResultCancelsTheSecondStepOnceItRuns() {
        var first = new CompletableFuture<String>();
        var second = new CompletableFuture<String>();
        CompletableFuture<String> result = Async.then(first, value -> second, Runnable::run);
        first.complete("permit");
        result.cancel(true);
        assertTrue(second.isCancelled());
    }

    @Test
    void aFailureReachesTheNextStepUnwrapped() throws Exception {
        var failure = new ServerException(503, "HTTP 503: busy", null);
        CompletableFuture<String> result =
                Async.compose(
                        CompletableFuture.supplyAsync(
                                () -> {
                                    throw failure;
                                }),
                        (value, error) ->
                                CompletableFuture.completedFuture(
                                        error == failure ? "same" : String.valueOf(error)),
                        Runnable::run);
        assertEquals("same", result.get());
        var e =
                assertThrows(
                        ExecutionException.class,
                        () ->
                                Async.then(
                                                CompletableFuture.failedFuture(failure),
                                                CompletableFuture::completedFuture,
                                                Runnable::run)
                                        .get());
        assertSame(failure, e.getCause());
        assertSame(
                failure,
                assertThrows(
                        ServerException.class,
                        () -> Async.await(CompletableFuture.failedFuture(failure))));
    }
}
