"""Multi-touch attribution (engine-free): journeys -> unique paths -> credit per channel by
rule-based, Markov and Shapley models, with bootstrap intervals; sequences; the side-by-side
comparison with MMM runs. See docs/attribution.md."""
