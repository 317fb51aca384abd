"""支部结对、干群结亲与企业帮扶: indicators."""
