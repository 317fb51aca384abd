"""Registry: people (人员), households (农户), units (单位) and leadership teams (领导班子)."""
