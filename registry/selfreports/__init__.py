"""Factories' self-reports (the iSingleForm side): report kinds as data, filing and amending through one
service, bulk CSV, and the late/missing computation per factory and period."""
