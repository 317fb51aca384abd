"""三变入股与分红: imports."""
