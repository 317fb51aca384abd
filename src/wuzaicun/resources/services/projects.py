"""整合项目与资金: services."""
