"""责任在村落实: the five yearly responsibility lists, the seed's rules as live checks, coverage, the ledger."""
