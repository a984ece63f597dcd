module dev.gatehouse/bench/loadgen

go 1.22
