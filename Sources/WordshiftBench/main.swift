print("wordshift-bench: pending")
