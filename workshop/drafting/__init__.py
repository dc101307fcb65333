"""The drafting engine: model settings, prompts, token budgets and the calls themselves."""
