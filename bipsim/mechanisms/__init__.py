"""The model's mechanisms, one module each; every module states its rule, parameters and planted effect.

A mechanism is a set of functions of (model state, scenario group, random generator) that the model calls
in a fixed weekly order (see :meth:`bipsim.model.model.BipModel.step`). Its scenario group's ``enabled``
switch removes its planted effect.
"""
