"""Bulk data for the benchmarks: reference data through the real loaders, everything else by
bulk inserts shaped exactly like the rows the services and Viewflow write."""
