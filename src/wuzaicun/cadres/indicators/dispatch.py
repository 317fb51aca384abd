"""选派与驻村工作组: indicators."""
