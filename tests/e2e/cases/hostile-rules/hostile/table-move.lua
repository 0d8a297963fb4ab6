-- A C loop over 10^15 table slots.
table.move({}, 1, 1e15, 2)
