/* test_clock.c: the measured clock within a loose sanity band (never a speed assertion), and the
 * nominal clock's sources. */
#include <criterion/criterion.h>
#include <string.h>

#include "probes/clock.h"

Test(clock, measured_is_plausible)
{
    double ghz = -1;
    rl_err err = {0};
    cr_assert_eq(rl_clock_measure(&ghz, &err), 0, "%s", err.msg);
    cr_assert(ghz > 0.2 && ghz < 10, "%g GHz", ghz);
    double q = rl_clock_measure_quick();
    cr_assert(q > 0.2 && q < 10, "%g GHz", q);
}

Test(clock, nominal_from_brand_string)
{
    char src[32];
    double g = rl_clock_nominal("Intel(R) Core(TM) i5-6300U CPU @ 2.40GHz", src, sizeof src);
    cr_assert_float_eq(g, 2.4, 1e-12);
    cr_assert_str_eq(src, "brand string");
    g = rl_clock_nominal("ZHAOXIN KaiXian ZX-C+ C4580@1.83GHz", src, sizeof src);
    cr_assert_float_eq(g, 1.83, 1e-12);
    g = rl_clock_nominal("Intel(R) Pentium(R) 4 CPU 1700MHz", src, sizeof src);
    cr_assert_neq(strcmp(src, "brand string"), 0, "no '@': not from the brand string");
    g = rl_clock_nominal("Weird @ CPU", src, sizeof src);
    cr_assert_neq(strcmp(src, "brand string"), 0);
    g = rl_clock_nominal("AMD EPYC", src, sizeof src);
    cr_assert(g < 0 || strcmp(src, "brand string") != 0, "AMD brands carry no clock");
}

Test(clock, monotonic_now_advances)
{
    double a = rl_clock_now(), b = rl_clock_now();
    cr_assert_geq(b, a);
}
