// The booking page (see issue 6).
