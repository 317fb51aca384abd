"""资源在村整合: integrated projects and funds, 十户一体 groups, 三变 shares and dividends, pairings and enterprise
help, and fund-use decisions by 四议两公开 (docs/resources.md)."""
