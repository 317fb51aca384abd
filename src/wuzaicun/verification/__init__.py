"""成效在村检验: secret, auditable quarterly spot checks (1个10%) and the annual assessment (1个100%)."""
