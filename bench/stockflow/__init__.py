"""Stock Viewflow baseline for the benchmarks: a flow of InspectionFlow's shape built only from
Viewflow's own parts (plain Process subclass, stock views, default no_lock, no audit)."""
