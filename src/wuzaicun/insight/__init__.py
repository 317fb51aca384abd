"""数据分析: the seed's headline figures computed from the five mechanisms' data (it reads them; none reads it)."""
