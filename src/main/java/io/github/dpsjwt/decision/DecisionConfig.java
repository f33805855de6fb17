package io.github.dpsjwt.decision;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The decision lines ({@code allocator.decisions.*}). To turn them off altogether, raise their log category
 * ({@value Decisions#CATEGORY}) to {@code WARN}: floods (413, 408) and aborted requests are still logged. The
 * metrics count every decision either way.
 */
@ConfigMapping(prefix = "allocator.decisions")
public interface DecisionConfig {

    /**
     * The share of allocation and refusal lines written, from {@code 0} (none) to {@code 1} (all), each line drawn
     * at random: {@code 0.01} keeps one in a hundred, for fleets whose decision lines would cost more log storage
     * than they are worth. WARN and ERROR lines are always written. Default {@code 1}.
     */
    @WithDefault("1")
    double sample();
}
