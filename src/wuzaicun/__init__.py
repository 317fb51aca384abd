"""wuzaicun: the management information system for Zunyi's 党建扶贫“五在村” mechanism."""
