def report = new File(basedir, 'target/surefire-reports/TEST-sample.FailingPoemTest.xml')
assert report.isFile()
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@failures.toInteger() == 1 : "failures: ${suite.@failures}"
assert suite.@errors.toInteger() == 1 : "errors (the janitor's DirtyReactorError counts as one, as in trial): ${suite.@errors}"
assert suite.testcase[1].@name == 'leavesACall'
assert suite.testcase[1].error.@type.toString() == 'dev.twine.trial.DirtyReactorError'
assert suite.testcase[0].@name == 'failsLater'
assert suite.testcase[0].failure.@message.toString().contains('the poem was prose')
def log = new File(basedir, 'build.log').text
assert log.contains('BUILD FAILURE') && log.contains('FailingPoemTest.failsLater')
return true
