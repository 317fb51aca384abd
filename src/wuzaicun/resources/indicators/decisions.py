"""四议两公开资金使用决策: indicators."""
