@echo off
rem Runs the modern-cnns command line on Windows, building cli\target\cli.jar first when it is missing.
rem Usage: moderncnns train   (see moderncnns --help). Unlike ./moderncnns, it does not rebuild when sources change:
rem run "mvn -q -B -DskipTests -pl cli -am package" after editing them.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%cli\target\cli.jar"
if not exist "%JAR%" (
  echo Building %JAR% ^(first run^) ... 1>&2
  pushd "%HERE%"
  call mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl cli -am package 1>&2
  if errorlevel 1 ( popd & exit /b 1 )
  popd
)
rem Spark (train --spark) binds to the loopback interface only; local-cluster needs this to keep its web UIs there too.
if not defined SPARK_LOCAL_IP set "SPARK_LOCAL_IP=127.0.0.1"
rem DL4J keeps its arrays off the Java heap: give both room, within the machine's memory.
if not defined MODERNCNNS_HEAP set "MODERNCNNS_HEAP=4g"
if not defined MODERNCNNS_OFFHEAP set "MODERNCNNS_OFFHEAP=12G"
if not defined MODERNCNNS_PHYSICAL set "MODERNCNNS_PHYSICAL=18G"
java -Xmx%MODERNCNNS_HEAP% -Dorg.bytedeco.javacpp.maxbytes=%MODERNCNNS_OFFHEAP% -Dorg.bytedeco.javacpp.maxphysicalbytes=%MODERNCNNS_PHYSICAL% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
