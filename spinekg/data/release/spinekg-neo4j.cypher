// spinekg property graph for Neo4j 5 (versionIRI https://w3id.org/spinekg/releases/0.1.0/spinekg-edges.owl, versionInfo 0.1.0).
// Copy spinekg-nodes.csv and spinekg-relationships.csv into Neo4j's import directory, then run:
//   cypher-shell -f spinekg-neo4j.cypher
// Or bulk-load an empty database with the same files:
//   neo4j-admin database import full --nodes=spinekg-nodes.csv --relationships=spinekg-relationships.csv neo4j
CREATE CONSTRAINT spinekg_resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row
MERGE (n:Resource {iri: row.`iri:ID`})
SET n.curie = row.curie, n.label = row.label, n.definition = row.definition, n.versionInfo = row.versionInfo,
    n.backSurgerySite = CASE row.backSurgerySite WHEN '' THEN null ELSE row.backSurgerySite END,
    n.seedSection = CASE row.seedSection WHEN '' THEN null ELSE split(row.seedSection, ';') END,
    n.quote = CASE row.quote WHEN '' THEN null ELSE row.quote END;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'AnnotationProperty' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:AnnotationProperty;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'Class' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:Class;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'DatatypeProperty' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:DatatypeProperty;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'FunctionalProperty' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:FunctionalProperty;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'Individual' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:Individual;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'ObjectProperty' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:ObjectProperty;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'Ontology' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:Ontology;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'SeedClaim' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:SeedClaim;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'Spinekg' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:Spinekg;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-nodes.csv' AS row WITH row WHERE 'TransitiveProperty' IN split(row.`:LABEL`, ';') MATCH (n:Resource {iri: row.`iri:ID`}) SET n:TransitiveProperty;
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'AFFECTS' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:AFFECTS]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'BROAD_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:BROAD_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'CLAIM_OBJECT' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:CLAIM_OBJECT]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'CLAIM_PREDICATE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:CLAIM_PREDICATE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'CLAIM_SUBJECT' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:CLAIM_SUBJECT]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'CLOSE_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:CLOSE_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'DISJOINT_WITH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:DISJOINT_WITH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'DOMAIN' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:DOMAIN]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'EXACT_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:EXACT_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'HAS_APPROACH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:HAS_APPROACH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'HAS_OBJECTIVE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:HAS_OBJECTIVE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'HAS_SITE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:HAS_SITE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'HAS_TRAINING' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:HAS_TRAINING]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'ICD_CLOSE_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:ICD_CLOSE_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'ICD_EXACT_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:ICD_EXACT_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'ICD_NARROW_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:ICD_NARROW_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'INVERSE_OF' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:INVERSE_OF]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'LICENSE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:LICENSE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'MAY_REQUIRE_SPECIALTY' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:MAY_REQUIRE_SPECIALTY]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'NARROW_MATCH' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:NARROW_MATCH]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'PART_OF' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:PART_OF]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'RANGE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:RANGE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'SOURCE' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:SOURCE]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'SUBCLASS_OF' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:SUBCLASS_OF]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'SUBPROPERTY_OF' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:SUBPROPERTY_OF]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'TREATS' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:TREATS]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'TYPICALLY_PERFORMED_BY' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:TYPICALLY_PERFORMED_BY]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'TYPICAL_RECOVERY' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:TYPICAL_RECOVERY]->(b);
LOAD CSV WITH HEADERS FROM 'file:///spinekg-relationships.csv' AS row WITH row WHERE row.`:TYPE` = 'VERSION_IRI' MATCH (a:Resource {iri: row.`:START_ID`}), (b:Resource {iri: row.`:END_ID`}) MERGE (a)-[:VERSION_IRI]->(b);
