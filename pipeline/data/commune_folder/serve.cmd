@echo off
rem vanban: opens the workspace of this commune in the browser (close this window to stop it).
rem Mo ban lam viec vanban cua xa nay trong trinh duyet; dong cua so nay de dung.
cd /d "%~dp0"
where vanban >nul 2>nul
if %errorlevel%==0 (
  vanban serve .
) else (
  py -m pipeline serve .
)
pause
