"""Clinical codes at answer time, Java-free: ICD-10-PCS and ICD-10-CM mapped to ontology terms through
the SSSOM files, a precomputed per-profile code table, Arrow columns, bulk files and the crosswalk."""
