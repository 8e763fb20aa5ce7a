// Both trial tests ran, on the module path (LinesTest asserts the module names it sees), and passed.
def report = new File(basedir, 'target/surefire-reports/TEST-sample.modular.LinesTest.xml')
assert report.isFile() : "no Surefire report for the module's trial tests"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "trial tests reported: ${suite.@tests}"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0 && suite.@skipped.toInteger() == 0
assert suite.testcase.collect { it.@name.toString() }.sort() == ['countsLater', 'runsInsideTheModule']
