// Parse each file with the OWL API (3.4.3, the version owlready2 ships) and report, per file, the format,
// the axiom count, annotation assertions per property, class and subclass-axiom counts and (with --profile) every OWL 2 DL
// profile violation. Output lines are tab-separated (FILE, ANNOTATIONS, CLASSES, SUBCLASSOF, VIOLATION), so a test reads them exactly.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLAnnotation;
import org.semanticweb.owlapi.model.OWLAnnotationAssertionAxiom;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyFormat;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlApiCheck {
    public static void main(String[] args) throws Exception {
        boolean profile = false;
        for (String arg : args) {
            if (arg.equals("--profile")) { profile = true; continue; }
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(arg)), config);
            OWLOntologyFormat format = manager.getOntologyFormat(ontology);
            System.out.println("FILE\t" + arg + "\t" + format.getClass().getSimpleName() + "\t" + ontology.getAxiomCount());
            // Annotation assertions per property (OWL API 3.4.3's list of "unparsed triples" also names
            // triples it did turn into axioms, so the test compares these counts with rdflib's instead).
            java.util.TreeMap<String, Integer> counts = new java.util.TreeMap<String, Integer>();
            for (OWLAnnotationAssertionAxiom ax : ontology.getAxioms(AxiomType.ANNOTATION_ASSERTION)) {
                String key = ax.getProperty().getIRI().toString();
                counts.put(key, counts.containsKey(key) ? counts.get(key) + 1 : 1);
            }
            for (OWLAnnotation a : ontology.getAnnotations()) {
                String key = a.getProperty().getIRI().toString();
                counts.put(key, counts.containsKey(key) ? counts.get(key) + 1 : 1);
            }
            for (java.util.Map.Entry<String, Integer> e : counts.entrySet()) {
                System.out.println("ANNOTATIONS\t" + arg + "\t" + e.getKey() + "\t" + e.getValue());
            }
            System.out.println("CLASSES\t" + arg + "\t" + ontology.getClassesInSignature().size());
            System.out.println("SUBCLASSOF\t" + arg + "\t" + ontology.getAxiomCount(AxiomType.SUBCLASS_OF));
            if (profile) {
                for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
                    System.out.println("VIOLATION\t" + arg + "\t" + v.toString().replace('\n', ' '));
                }
            }
        }
    }
}
