"""UN/EDIFACT PAXLST (passenger and crew lists): a tolerant, sans-IO reader and a writer."""
