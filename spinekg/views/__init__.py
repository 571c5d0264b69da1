"""Views on the graph for people: networkx drawings, the HTML documentation and the competency-question
page."""
