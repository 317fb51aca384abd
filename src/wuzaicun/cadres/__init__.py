"""干部在村成长: dispatches and working groups, talents and project secretaries, training, and the
六定一化 grading of cadres (docs/cadres.md)."""
