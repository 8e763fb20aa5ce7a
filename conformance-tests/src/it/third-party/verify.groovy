// The suite ran against the example reactor through Surefire, and left its report.
def json = new File(basedir, 'target/twine-conformance/conformance.json')
assert json.isFile() : "no report at ${json}"
def report = new groovy.json.JsonSlurper().parse(json)
assert report.reactor.startsWith('example (com.example.ExampleReactorProvider)') : "reactor: ${report.reactor}"
assert report.conforms == true
assert report.counts.failed == 0
assert report.counts.rules >= 120
assert report.capabilities.UDP.skipped == report.capabilities.UDP.rules
assert report.capabilities.TLS.skipped == report.capabilities.TLS.rules
assert report.rules.find { it.id == 'UDP-01' }.reason == 'capability not declared: UDP'
assert report.capabilities.TCP.passed == report.capabilities.TCP.rules
assert new File(basedir, 'target/twine-conformance/conformance.html').text.contains('<h1>Twine reactor conformance</h1>')

// Surefire reports each rules class on its own, every rule a test case named '<id> <sentence>'.
def xmls = new File(basedir, 'target/surefire-reports').listFiles().findAll { it.name.startsWith('TEST-dev.twine.conformance.rules.') }
def classes = report.rules.collect { it.test.tokenize('.')[0] }.unique()
assert xmls.size() == classes.size() : "rules classes reported: ${xmls*.name}, in the report: ${classes}"
def suites = xmls.collect { new groovy.xml.XmlSlurper().parse(it) }
def tcp31 = suites.collectMany { it.testcase.list() }.find { it.@name.toString().startsWith('TCP-31 ') }
assert tcp31 != null : "no test case named after its rule id"
assert tcp31.@name.toString() == 'TCP-31 ' + report.rules.find { it.id == 'TCP-31' }.rule
assert suites.sum { it.@tests.toInteger() } == report.counts.rules
assert suites.sum { it.@failures.toInteger() + it.@errors.toInteger() } == 0
assert suites.sum { it.@skipped.toInteger() } == report.counts.skipped
def udp = suites.find { it.@name == 'dev.twine.conformance.rules.UdpRules' }
assert udp.testcase.every { it.skipped.text().contains('capability not declared: UDP') }

def log = new File(basedir, 'build.log').text
assert log.contains('CONFORMS') && log.contains('BUILD SUCCESS')
return true
