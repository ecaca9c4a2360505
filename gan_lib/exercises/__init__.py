"""Checks for the lessons' exercises: one module per lesson (``lesson02``, ``lesson05``, ...).

A learner solves an exercise in the notebook, then calls its check, for example
``from gan_lib.exercises import lesson05; lesson05.check_partial_collapse(images)``.
Every check:

* takes the learner's answer (and whatever it needs to judge it) as arguments;
* raises ``AssertionError`` with a one-line hint when the answer is wrong;
* returns a short string saying what was confirmed when it is right;
* passes every correct answer (tested over several seeds) and fails on a plausible
  wrong one (``tests/test_exercise_checks_*.py`` show both).
"""
