"""千村千人计划人才与项目书记: indicators."""
