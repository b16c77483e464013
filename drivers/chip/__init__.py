"""ePassport chips (ICAO Doc 9303 parts 10–12): access control, secure messaging, the LDS and
passive authentication, all sans-IO; the PC/SC transport sits beside them."""
