// Checks what Surefire reported for the sample, then runs it again with the Console Launcher.
def reports = new File(basedir, 'target/surefire-reports')
def trial = new File(reports, 'TEST-sample.PoemTest.xml')
assert trial.isFile() : "no Surefire report for the trial tests"
def suite = new groovy.xml.XmlSlurper().parse(trial)
assert suite.@tests.toInteger() == 3 : "trial tests reported: ${suite.@tests}"
assert suite.@skipped.toInteger() == 1
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0
def names = suite.testcase.collect { it.@name.toString() }.sort()
assert names == ['arrivesLater', 'countsLines', 'skipped'] : "testcase names: ${names}"
assert suite.testcase.every { it.@classname.toString() == 'sample.PoemTest' }
assert suite.testcase.find { it.@name == 'skipped' }.skipped.@message.toString().contains('not in this season')
assert suite.testcase.find { it.@name == 'arrivesLater' }.@time.toDouble() > 0.0

def jupiter = new groovy.xml.XmlSlurper().parse(new File(reports, 'TEST-sample.PlainJupiterTest.xml'))
assert jupiter.@tests.toInteger() == 1 && jupiter.testcase[0].@name == 'jupiterStillRuns'

def rerun = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/rerun-reports/TEST-sample.PoemTest.xml'))
assert rerun.testcase.size() == 1 && rerun.testcase[0].@name == 'arrivesLater' : "-Dtest re-ran ${rerun.testcase*.@name}"

// The Console Launcher, by method and by unique id.
def classpath = new File(basedir, 'target/test-classpath.txt').text.trim() + File.pathSeparator + new File(basedir, 'target/test-classes')
def launcher = new File(localRepositoryPath,
        "org/junit/platform/junit-platform-console-standalone/${junitVersion}/junit-platform-console-standalone-${junitVersion}.jar")
assert launcher.isFile() : "no Console Launcher at ${launcher}"
def java = new File(System.getProperty('java.home'), 'bin/java').path
def run = { List<String> args ->
    def command = [java, '-jar', launcher.path, 'execute', '--disable-banner', '--details=tree', '--class-path', classpath] + args
    def process = command.execute()
    def out = new StringBuilder()
    process.consumeProcessOutput(out, out)
    process.waitFor()
    return [process.exitValue(), out.toString()]
}
def (status, output) = run(['--select-method', 'sample.PoemTest#arrivesLater(dev.twine.reactor.Reactor)'])
println output
assert status == 0 && output.contains('1 tests successful') : "select-method run:\n" + output
(status, output) = run(['--select-unique-id', '[engine:twine-trial]/[class:sample.PoemTest]/[method:countsLines()]'])
println output
assert status == 0 && output.contains('1 tests successful') : "select-unique-id run:\n" + output

// Trial's tree reporter: registered by the engine's jar, it prints only when turned on (build.log
// is read first: what this script prints goes there too).
assert !new File(basedir, 'build.log').text.contains('PASSED (') : "the tree reporter printed in Surefire's run"
(status, output) = run(['--select-class', 'sample.PoemTest', '--config', 'twine.trial.reporter=tree'])
println output
assert status == 0 && output.contains('  PoemTest\n') && output.contains('PASSED (skips=1, successes=2)') : "tree reporter run:\n" + output
return true
