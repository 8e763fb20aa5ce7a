// Both flaky tests failed once and passed when Surefire re-ran them by unique id, the suite's one too.
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS') : "the re-runs did not pass"
assert log.contains('Flakes: 2') : "expected two flaky tests in:\n" + log.readLines().findAll { it.contains('Tests run') || it.contains('Flak') }.join('\n')
def direct = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-sample.FlakyDirectTest.xml'))
assert direct.testcase.flakyFailure.size() == 1
def suite = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-sample.FlakyInSuite.xml'))
assert suite.testcase.flakyFailure.size() == 1 : "the suite's test was not re-run by its unique id"
return true
