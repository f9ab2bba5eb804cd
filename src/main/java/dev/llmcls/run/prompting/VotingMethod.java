package dev.llmcls.run.prompting;

import dev.llmcls.core.RecordedSettings;
import dev.llmcls.data.LabelSet;
import dev.llmcls.label.AnswerParser;
import dev.llmcls.label.Vote;
import dev.llmcls.llm.ChatBackend;
import dev.llmcls.llm.ChatOptions;
import dev.llmcls.llm.Completion;
import dev.llmcls.llm.SamplingBackend;
import dev.llmcls.runfile.RunRecord;
import dev.llmcls.runfile.VotingSettings;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several sampled answers per example (one request with {@code n}; asked again when a server
 * returns fewer) and a majority vote. The record's {@code output} is the first answer naming the
 * majority, so the seed rule scores the majority too; every answer is kept in {@code outputs}.
 */
public final class VotingMethod implements PromptMethod {
    private final int votes;
    private final LabelSet labels;
    private volatile Consumer<String> log = message -> {};

    public VotingMethod(int votes, LabelSet labels) {
        if (votes < 2) {
            throw new IllegalArgumentException("voting needs at least 2 votes, got " + votes);
        }
        this.votes = votes;
        this.labels = labels;
    }

    /** Answers sampled per example. */
    public int votes() {
        return votes;
    }

    @Override
    public RecordedSettings settings() {
        return new VotingSettings(votes);
    }

    @Override
    public ChatOptions options(ChatOptions options) {
        return options.withN(votes);
    }

    @Override
    public void prepare(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public ChatBackend backend(ChatBackend backend) {
        // says once when the server allows fewer answers per request than asked (llama-server: its
        // slot count)
        return new SamplingBackend(backend, message -> log.accept(message));
    }

    @Override
    public RunRecord decide(RunRecord record, Completion answer, AnswerParser parser) {
        if (answer.choices().size() < 2) {
            return record;
        }
        List<String> texts = answer.choices().stream().map(Completion.Choice::text).toList();
        List<String> ballots = texts.stream().map(parser::label).toList();
        Vote vote = Vote.of(ballots, labels.names());
        Completion.Choice shown =
                answer.choices().get(vote.winner() == null ? 0 : ballots.indexOf(vote.winner()));
        RunRecord voted =
                record.withOutput(shown.text(), shown.finishReason())
                        .withVote(vote.winner(), vote.counts(), texts)
                        .withAnswerNotes(record.constraintBroken(), shown.reasoning());
        if (vote.winner() == null) {
            return voted;
        }
        // The majority's share of the answers: a second confidence, beside any from the answers'
        // tokens.
        double share = vote.counts().get(vote.winner()) / (double) ballots.size();
        return voted.withProbabilities(
                new RunRecord.Probabilities(null, null, null, null, null, share, null));
    }
}
