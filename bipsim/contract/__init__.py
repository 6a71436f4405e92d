"""The data contract: vocabulary, code lists, table schemas and the estimand and outcome tables.

Pure data with Danish and English labels, shared by the simulator and the analyses; it imports nothing
else from bipsim, so real data of the documented shape can be read and analysed without the simulator.
"""
