"""下载中心: long jobs (large exports and imports, reports, assessments) on Django's tasks framework."""
