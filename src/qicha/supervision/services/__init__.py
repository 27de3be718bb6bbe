"""Every write on supervision: letters and the checks on them, inspections and their draw, accountability.

Import the module you need (`from qicha.supervision.services import letters`).
"""
