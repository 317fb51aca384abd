"""Number formats for Simplified Chinese pages: amounts grouped by thousands (59,500.00) where a template asks
for grouping (`floatformat:"2g"`), as officials' finance tables read; Django's own zh_Hans has no separator.
Everything else falls through to Django's zh_Hans formats."""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
