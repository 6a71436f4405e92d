"""Employers learn: failed hires raise an employer's threshold, lasting ones lower it, and it fades."""

from __future__ import annotations

import numpy as np

from bipsim.mechanisms import employer_learning


def test_a_failed_hire_raises_the_threshold_and_a_later_separation_does_not(built):
    model = built(1)
    p, shift = model.params.employer_learning, model.employers.learned_shift
    employer_learning.learn_from_separations(model, np.array([0, 0, 1]), failed=np.array([True, True, False]))
    assert shift[0] == 2 * p.failed_hire_step
    assert shift[1] == 0.0


def test_the_lesson_fades_and_a_hire_that_lasts_a_year_lowers_the_threshold(built):
    model = built(1, steps=1)
    c, e, p = model.citizens, model.employers, model.params.employer_learning
    e.learned_shift[:] = 1.0
    c.exit_status[:] = -1
    c.exit_status[0], c.employer[0], c.job_start[0] = employer_learning.JOB, 3, model.week - 52
    employer_learning.fade(model)
    decay = np.exp(-1 / p.memory_weeks)
    np.testing.assert_allclose(e.learned_shift[3], decay - p.good_hire_step)
    np.testing.assert_allclose(e.learned_shift[4], decay)


def test_switched_off_employers_never_learn(run, seed):
    off = run(seed, employer_learning={"enabled": False})
    assert (off.model.employers.learned_shift == 0).all()


def test_employers_with_early_job_losses_end_more_hesitant(run, seed):
    on = run(seed)
    separations = on.events.query("event == 'separation' and value < 13")
    failed = separations["employer_id"].dropna().astype(int).unique()
    assert failed.size > 5
    shift = on.model.employers.learned_shift
    assert shift[failed].mean() > shift.mean()
